/** Gogo shell commands in the {@code runnel} scope. Nothing is exported. */
package io.runnel.shell.internal;
