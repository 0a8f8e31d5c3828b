package io.logpush.sink;

/** How batch objects are compressed, and the file extension that says so. */
public enum Compression {
    NONE(".log"),
    GZIP(".log.gz");

    private final String extension;

    Compression(String extension) {
        this.extension = extension;
    }

    public String extension() {
        return extension;
    }
}
