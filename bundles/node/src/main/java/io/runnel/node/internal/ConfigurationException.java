package io.runnel.node.internal;

import java.util.List;

/** The node's configuration cannot be used; holds every problem found, each naming key and value. */
final class ConfigurationException extends Exception {

    private static final long serialVersionUID = 1L;
    private final List<String> problems;

    ConfigurationException(List<String> problems) {
        super(String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    List<String> problems() {
        return problems;
    }
}
