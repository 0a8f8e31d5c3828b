package io.logpush.config.filter;

/**
 * An event's field has a value of the wrong type for its dataset (a string where a number is
 * due, ...). The pipeline sends such an event to the dead-letter topic with this message.
 */
public final class EventFieldException extends RuntimeException {

    public EventFieldException(String message) {
        // No stack trace: this is a data error on the hot path, not a bug.
        super(message, null, false, false);
    }
}
