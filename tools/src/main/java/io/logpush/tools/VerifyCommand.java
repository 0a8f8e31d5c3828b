package io.logpush.tools;

import io.logpush.config.cli.Cli;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code logpush verify}: reads the committed objects under destination roots (one folder per
 * job) and reports per job what arrived, so a user can check the exactly-once promise. Exit 1 if
 * any job has duplicates, records of more than one owner, or (with {@code --max-records}) an object
 * over its limit, or if a gzip object is not one member ({@link DeliveryCheck}).
 */
@Command(name = "logpush verify", mixinStandardHelpOptions = true, version = "logpush 0.1.0",
        description = "Report per job folder: objects, records, duplicates, owners, limit violations.")
public final class VerifyCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "DIR_OR_URI",
            description = "Destination roots (a folder, file:///…, or s3://bucket/prefix), one folder per job below each.")
    List<String> roots;

    @Option(names = "--max-records", paramLabel = "N", description = "Count objects with more than N records as violations.")
    long maxRecords;

    @Mixin
    S3EndpointOption s3 = new S3EndpointOption();

    public static void main(String[] args) {
        Cli.run(new VerifyCommand(), args);
    }

    @Override
    public Integer call() {
        s3.initializeFileSystems();
        boolean ok = true;
        System.out.printf("%-24s %8s %10s %10s %10s %-14s %s%n", "JOB", "objects", "records", "distinct", "duplicates",
                "largest object", "owners");
        for (String root : roots) {
            if (!root.contains("://") && !Files.isDirectory(Path.of(root))) {
                throw new CommandLine.ParameterException(new CommandLine(this), "not a directory: " + root);
            }
            for (Map.Entry<String, DeliveryCheck.JobDelivery> e : new DeliveryCheck(root).scan().entrySet()) {
                DeliveryCheck.JobDelivery d = e.getValue();
                boolean overLimit = maxRecords > 0 && d.largestObject() > maxRecords;
                ok &= d.duplicates() == 0 && d.owners().size() == 1 && !overLimit;
                System.out.printf("%-24s %8d %10d %10d %10d %-14s %s%n", e.getKey(), d.objects(), d.records(), d.distinct(),
                        d.duplicates(), d.largestObject() + (overLimit ? " (OVER)" : ""), String.join(",", d.owners()));
            }
        }
        System.out.println(ok ? "ok: no duplicates, one owner per job" + (maxRecords > 0 ? ", no object over " + maxRecords + " records" : "")
                : "PROBLEMS found (see above)");
        return ok ? 0 : 1;
    }
}
