/**
 * Integration tests that run inside a real Runnel node: JUnit 5 on bnd's JUnit Platform tester, with
 * services and the bundle context injected by OSGi Test. Private to the test bundle, never exported.
 */
package io.runnel.itests.osgitest;
