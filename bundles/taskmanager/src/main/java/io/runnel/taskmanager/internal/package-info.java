/** The TaskManager: offers this node's task slots in the cluster's slot registry. Nothing is exported. */
package io.runnel.taskmanager.internal;
