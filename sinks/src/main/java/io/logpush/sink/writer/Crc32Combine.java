package io.logpush.sink.writer;

/**
 * The CRC-32 of two pieces of content joined, from the CRC-32 of each and the second's length,
 * without reading the content again: a gzip member that splices in pieces deflated elsewhere has
 * only their checksums. CRC-32 is linear, so {@code crc(a + b) = crc(a) · x^(8·|b|) + crc(b)} in
 * GF(2)[x] modulo the CRC polynomial; all values are in CRC-32's bit-reflected order.
 */
final class Crc32Combine {

    /** The CRC-32 polynomial, reflected. */
    private static final int POLYNOMIAL = 0xEDB88320;
    /** x^0 (the polynomial 1), reflected. */
    private static final int ONE = 1 << 31;
    /** {@code X_POW_2K[k]} is x^(2^k) mod the polynomial, for exponents up to 2^63. */
    private static final int[] X_POW_2K = new int[64];

    static {
        X_POW_2K[0] = ONE >>> 1; // x^1
        for (int k = 1; k < X_POW_2K.length; k++) {
            X_POW_2K[k] = multiply(X_POW_2K[k - 1], X_POW_2K[k - 1]);
        }
    }

    private Crc32Combine() {}

    /** The CRC-32 of {@code a} followed by {@code b}, given their CRC-32s and b's length in bytes. */
    static int combine(int crcA, int crcB, long lengthB) {
        if (lengthB < 0) {
            throw new IllegalArgumentException("negative length " + lengthB);
        }
        return multiply(crcA, xPow(8 * lengthB)) ^ crcB;
    }

    /** x^n mod the polynomial, by its binary digits. */
    private static int xPow(long n) {
        int result = ONE;
        for (int k = 0; n != 0; k++, n >>>= 1) {
            if ((n & 1) != 0) {
                result = multiply(result, X_POW_2K[k]);
            }
        }
        return result;
    }

    /** a · b mod the polynomial: adds up b · x^i for each term x^i of a (x^0 is a's top bit). */
    private static int multiply(int a, int b) {
        int product = 0;
        for (int term = ONE; a != 0; term >>>= 1) {
            if ((a & term) != 0) {
                product ^= b;
                a ^= term;
            }
            b = (b & 1) != 0 ? (b >>> 1) ^ POLYNOMIAL : b >>> 1; // b · x
        }
        return product;
    }
}
