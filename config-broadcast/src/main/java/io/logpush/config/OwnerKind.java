package io.logpush.config;

/** Whether a job (and its dataset) belongs to a zone or to an account. */
public enum OwnerKind {
    ZONE("zone_id"),
    ACCOUNT("account_id");

    private final String jsonField;

    OwnerKind(String jsonField) {
        this.jsonField = jsonField;
    }

    /** The job JSON field that names an owner of this kind. */
    public String jsonField() {
        return jsonField;
    }
}
