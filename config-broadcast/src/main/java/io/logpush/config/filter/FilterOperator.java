package io.logpush.config.filter;

import io.logpush.config.FieldType;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** The comparison operators of Cloudflare's filter grammar, with the field types each accepts. */
public enum FilterOperator {
    EQ("eq", false, EnumSet.of(FieldType.STRING, FieldType.INT, FieldType.FLOAT, FieldType.BOOL, FieldType.TIMESTAMP, FieldType.TIMESTAMP_MS)),
    NOT_EQ("!eq", true, EQ.types),
    LT("lt", false, numeric()),
    LEQ("leq", false, numeric()),
    GT("gt", false, numeric()),
    GEQ("geq", false, numeric()),
    STARTS_WITH("startsWith", false, EnumSet.of(FieldType.STRING)),
    ENDS_WITH("endsWith", false, EnumSet.of(FieldType.STRING)),
    NOT_STARTS_WITH("!startsWith", true, EnumSet.of(FieldType.STRING)),
    NOT_ENDS_WITH("!endsWith", true, EnumSet.of(FieldType.STRING)),
    CONTAINS("contains", false, EnumSet.of(FieldType.STRING, FieldType.ARRAY)),
    NOT_CONTAINS("!contains", true, CONTAINS.types),
    IN("in", false, EnumSet.of(FieldType.STRING, FieldType.INT)),
    NOT_IN("!in", true, IN.types);

    private final String token;
    private final boolean negated;
    private final Set<FieldType> types;

    FilterOperator(String token, boolean negated, Set<FieldType> types) {
        this.token = token;
        this.negated = negated;
        this.types = types;
    }

    private static EnumSet<FieldType> numeric() {
        return EnumSet.of(FieldType.INT, FieldType.FLOAT, FieldType.TIMESTAMP, FieldType.TIMESTAMP_MS);
    }

    /** The operator as written in filter JSON, e.g. {@code !startsWith}. */
    public String token() {
        return token;
    }

    /** Whether this operator is the negation of another ({@code !eq}, {@code !in}, ...). */
    public boolean negated() {
        return negated;
    }

    public boolean accepts(FieldType type) {
        return types.contains(type);
    }

    public Set<FieldType> acceptedTypes() {
        return types;
    }

    public static Optional<FilterOperator> byToken(String token) {
        return Arrays.stream(values()).filter(op -> op.token.equals(token)).findFirst();
    }

    public static String tokens() {
        return Arrays.stream(values()).map(FilterOperator::token).collect(Collectors.joining(", "));
    }
}
