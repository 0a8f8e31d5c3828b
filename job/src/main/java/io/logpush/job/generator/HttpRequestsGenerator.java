package io.logpush.job.generator;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

import java.time.Instant;
import java.util.SplittableRandom;

/**
 * Deterministic, realistic {@code http_requests} events: Cloudflare's field names and value
 * shapes (about 700 bytes each), zones drawn from a Zipf distribution so a few zones are busy and
 * most are quiet, as in real traffic. The same seed gives the same events.
 */
public final class HttpRequestsGenerator {

    private static final String[] METHODS = {"GET", "GET", "GET", "GET", "GET", "GET", "POST", "POST", "PUT", "HEAD"};
    private static final int[] STATUSES = {200, 200, 200, 200, 200, 200, 200, 304, 404, 500};
    private static final String[] COUNTRIES = {"us", "de", "gb", "fr", "jp", "br", "in", "ca", "au", "nl"};
    private static final String[] COLOS = {"SJC", "FRA", "LHR", "CDG", "NRT", "GRU", "BOM", "YYZ", "SYD", "AMS"};
    private static final String[] CACHE = {"hit", "hit", "hit", "miss", "miss", "expired", "dynamic"};
    private static final String[] AGENTS = {
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15",
        "curl/8.5.0", "Googlebot/2.1 (+http://www.google.com/bot.html)"};

    private final SplittableRandom random;
    private final double[] cumulative;

    /** {@code zones} zones ranked by traffic; rank r gets a share proportional to 1 / r^1.1. */
    public HttpRequestsGenerator(int zones, long seed) {
        if (zones < 1) {
            throw new IllegalArgumentException("zones must be positive");
        }
        this.random = new SplittableRandom(seed);
        this.cumulative = new double[zones];
        double sum = 0;
        for (int r = 0; r < zones; r++) {
            sum += 1.0 / Math.pow(r + 1, 1.1);
            cumulative[r] = sum;
        }
        for (int r = 0; r < zones; r++) {
            cumulative[r] /= sum;
        }
    }

    /** The id of the zone of rank {@code rank} (0 = busiest). */
    public static String zone(int rank) {
        return String.format("zone-%05d", rank);
    }

    /** The next zone rank, Zipf-distributed. */
    public int nextZone() {
        double u = random.nextDouble();
        int lo = 0;
        int hi = cumulative.length - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cumulative[mid] < u) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** One event of {@code zone} at {@code time}, with {@code rayId} as its unique id. */
    public String event(String zone, String rayId, Instant time) {
        long start = time.getEpochSecond() * 1_000_000_000L + time.getNano();
        long duration = 1_000_000L + random.nextLong(200_000_000L);
        String host = "www." + zone + ".example.com";
        String path = "/" + (random.nextInt(10) < 7 ? "static" : "api") + "/v" + random.nextInt(3) + "/item/" + random.nextInt(10_000);
        StringBuilder s = new StringBuilder(768).append('{');
        field(s, "RayID", rayId).append(',');
        field(s, "ZoneName", zone).append(',');
        field(s, "ClientIP", random.nextInt(1, 224) + "." + random.nextInt(256) + "." + random.nextInt(256) + "." + random.nextInt(1, 255)).append(',');
        s.append("\"ClientASN\":").append(random.nextInt(1, 400_000)).append(',');
        field(s, "ClientCountry", pick(COUNTRIES)).append(',');
        field(s, "ClientRequestHost", host).append(',');
        field(s, "ClientRequestMethod", pick(METHODS)).append(',');
        field(s, "ClientRequestPath", path).append(',');
        field(s, "ClientRequestURI", path + "?q=" + Long.toHexString(random.nextLong())).append(',');
        field(s, "ClientRequestProtocol", "HTTP/2").append(',');
        field(s, "ClientRequestUserAgent", pick(AGENTS)).append(',');
        s.append("\"ClientRequestBytes\":").append(random.nextInt(200, 4_000)).append(',');
        field(s, "CacheCacheStatus", pick(CACHE)).append(',');
        field(s, "EdgeColoCode", pick(COLOS)).append(',');
        s.append("\"EdgeResponseStatus\":").append(STATUSES[random.nextInt(STATUSES.length)]).append(',');
        s.append("\"EdgeResponseBytes\":").append(random.nextInt(300, 200_000)).append(',');
        s.append("\"OriginResponseDurationMs\":").append(random.nextInt(1, 800)).append(',');
        s.append("\"BotScore\":").append(random.nextInt(1, 100)).append(',');
        s.append("\"EdgeStartTimestamp\":").append(start).append(',');
        s.append("\"EdgeEndTimestamp\":").append(start + duration);
        return s.append('}').toString();
    }

    /** A 16-hex-digit RayID, unique per generator run and sequence number. */
    public static String rayId(long runId, long sequence) {
        return String.format("%08x%08x", (int) runId, (int) sequence);
    }

    private String pick(String[] values) {
        return values[random.nextInt(values.length)];
    }

    private static StringBuilder field(StringBuilder s, String name, String value) {
        s.append('"').append(name).append("\":\"");
        JsonStringEncoder.getInstance().quoteAsString(value, s);
        return s.append('"');
    }
}
