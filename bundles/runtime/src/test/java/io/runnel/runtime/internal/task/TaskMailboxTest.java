package io.runnel.runtime.internal.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TaskMailboxTest {

    private final TaskMailbox mailbox = new TaskMailbox();

    @Test
    void mailRunsInTheOrderItCameAndClearsTheWorkFlag() throws Exception {
        List<String> ran = new ArrayList<>();
        assertThat(mailbox.hasWork()).isFalse();
        mailbox.send(() -> ran.add("first"));
        mailbox.send(() -> ran.add("second"));
        assertThat(mailbox.hasWork()).isTrue();

        mailbox.processMail();

        assertThat(ran).containsExactly("first", "second");
        assertThat(mailbox.hasWork()).isFalse();
    }

    @Test
    void wakingWithoutMailOnlySetsTheFlag() throws Exception {
        mailbox.wake(); // an overtaking barrier: the gate holds it, not the mailbox
        assertThat(mailbox.hasWork()).isTrue();
        mailbox.processMail();
        assertThat(mailbox.hasWork()).isFalse();
    }

    @Test
    void aFailingMailStopsTheRestUntilTheNextLook() throws Exception {
        List<String> ran = new ArrayList<>();
        mailbox.send(() -> {
            throw new IllegalStateException("savepoint abandoned");
        });
        mailbox.send(() -> ran.add("later"));

        assertThatThrownBy(mailbox::processMail).hasMessage("savepoint abandoned");
        assertThat(ran).isEmpty();
        mailbox.processMail();
        assertThat(ran).containsExactly("later");
    }

    @Test
    void theBoundThreadIsTheTaskThread() {
        assertThat(mailbox.taskThread()).isNull();
        mailbox.bindToCurrentThread();
        assertThat(mailbox.taskThread()).isSameAs(Thread.currentThread());
    }
}
