package io.runnel.connectors.kafka.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletionException;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

/** The acknowledgement count of one transaction's sends, which its asynchronous pre-commit waits for. */
class AcknowledgementsTest {

    private final SendErrors errors = new SendErrors("sink (1/1)", "out");
    private final TransactionalWriter.Acknowledgements sends = new TransactionalWriter.Acknowledgements(errors);

    @Test
    void completesWhenSealedAfterTheLastAcknowledgement() {
        sends.sending();
        sends.sending();
        sends.onCompletion(null, null);
        sends.onCompletion(null, null);
        assertThat(sends.all()).isNotDone();

        sends.seal();

        assertThat(sends.all()).isCompleted();
    }

    @Test
    void completesWithTheLastAcknowledgementAfterTheSeal() {
        sends.sending();
        sends.sending();
        sends.onCompletion(null, null);
        sends.seal();
        assertThat(sends.all()).isNotDone();

        sends.onCompletion(null, null);

        assertThat(sends.all()).isCompleted();
    }

    @Test
    void aTransactionWithoutSendsIsCompleteWhenSealed() {
        sends.seal();

        assertThat(sends.all()).isCompleted();
    }

    @Test
    void aFailedSendFailsItAndTheWriter() {
        sends.sending();
        sends.sending();
        sends.seal();

        sends.onCompletion(null, new TimeoutException("expired"));
        sends.onCompletion(null, null);

        assertThat(sends.all()).isCompletedExceptionally();
        assertThatThrownBy(() -> sends.all().join()).isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(TimeoutException.class);
        assertThatThrownBy(errors::throwIfFailed).isInstanceOf(IllegalStateException.class).hasMessageContaining("expired");
    }
}
