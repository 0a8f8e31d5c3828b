package io.logpush.sink.delivery;

/** A job's destination refused or failed a delivery: that job's problem, never the pipeline's. */
public final class DestinationException extends Exception {

    private static final long serialVersionUID = 1L;

    DestinationException(String destination, Throwable cause) {
        super(describe(destination, cause), cause);
    }

    /** A failure with no exception of its own, such as an attempt that got no answer in time. */
    DestinationException(String destination, String reason) {
        super("delivery to " + destination + " failed: " + reason);
    }

    /** What the customer reads in the job's health: the destination and the root cause, in one line. */
    private static String describe(String destination, Throwable cause) {
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String text = "delivery to " + destination + " failed: " + root.getClass().getSimpleName()
                + (root.getMessage() == null ? "" : ": " + root.getMessage().replaceAll("\\s+", " "));
        return text.length() > 500 ? text.substring(0, 497) + "..." : text;
    }
}
