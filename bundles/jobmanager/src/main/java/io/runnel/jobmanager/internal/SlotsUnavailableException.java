package io.runnel.jobmanager.internal;

import io.runnel.api.stream.JobSubmissionException;

/**
 * A job could not be placed because the cluster has too few free task slots on live nodes right
 * now. Unlike other refusals this one passes by itself once TaskManagers join or other jobs end, so
 * whoever gets it waits for slots and tries again rather than giving the job up.
 */
final class SlotsUnavailableException extends JobSubmissionException {

    private static final long serialVersionUID = 1L;

    SlotsUnavailableException(String message) {
        super(message);
    }
}
