package io.runnel.runtime.internal.network;

/**
 * A channel between two TaskManagers failed: its connection broke, the other side refused or closed
 * it, or a record could not be (de)serialized. The message names the remote address and the channel.
 * The producer sees it from {@link RemoteOutputChannel#put}, the consumer as the cause of its input's
 * failure.
 */
public final class RemoteChannelException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public RemoteChannelException(String message) {
        super(message);
    }

    public RemoteChannelException(String message, Throwable cause) {
        super(message, cause);
    }
}
