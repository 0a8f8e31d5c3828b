package io.logpush.config.cli;

import picocli.CommandLine;

/**
 * How every {@code logpush} command behaves at the edges: bad usage prints one line naming the
 * problem and {@code --help}, exit code 2; a failure prints its innermost cause, exit code 1.
 */
public final class Cli {

    private Cli() {}

    public static CommandLine commandLine(Object command) {
        CommandLine cli = new CommandLine(command).setCaseInsensitiveEnumValuesAllowed(true);
        cli.setParameterExceptionHandler((e, args) -> {
            CommandLine failed = e.getCommandLine();
            failed.getErr().println("error: " + e.getMessage() + " (try '" + failed.getCommandSpec().qualifiedName() + " --help')");
            return 2;
        });
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("error: " + rootMessage(e));
            return 1;
        });
        return cli;
    }

    /** Runs the command and exits with its code. */
    public static void run(Object command, String[] args) {
        System.exit(commandLine(command).execute(args));
    }

    /** The innermost cause says best what went wrong (an unreachable broker, a missing file...). */
    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.toString() : root.getMessage();
    }
}
