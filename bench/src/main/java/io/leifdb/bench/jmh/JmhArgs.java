package io.leifdb.bench.jmh;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** The command line of {@link JmhMain}, checked: a bad flag or value is one clear message. */
record JmhArgs(List<String> includes, int forks, int warmupIterations, long warmupMillis, int iterations,
               long iterationMillis, Map<String, List<String>> params, String dir, boolean quiet, boolean help) {

    static JmhArgs parse(String... args) {
        List<String> includes = new ArrayList<>();
        int forks = 1;
        int warmups = 3;
        long warmupMillis = 2000;
        int iterations = 5;
        long iterationMillis = 2000;
        Map<String, List<String>> params = new LinkedHashMap<>();
        String dir = null;
        boolean quiet = false;
        boolean help = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "-f" -> forks = count(arg, value(args, ++i, arg), 0);
                case "-wi" -> warmups = count(arg, value(args, ++i, arg), 0);
                case "-w" -> warmupMillis = millis(arg, value(args, ++i, arg));
                case "-i" -> iterations = count(arg, value(args, ++i, arg), 1);
                case "-r" -> iterationMillis = millis(arg, value(args, ++i, arg));
                case "-p" -> param(params, value(args, ++i, arg));
                case "--dir" -> dir = value(args, ++i, arg);
                case "-q" -> quiet = true;
                case "-h", "--help" -> help = true;
                default -> {
                    if (arg.startsWith("-")) {
                        throw new IllegalArgumentException("unknown option " + arg);
                    }
                    includes.add(regex(arg));
                }
            }
        }
        return new JmhArgs(List.copyOf(includes), forks, warmups, warmupMillis, iterations, iterationMillis,
                params, dir, quiet, help);
    }

    private static String value(String[] args, int i, String flag) {
        if (i >= args.length) {
            throw new IllegalArgumentException(flag + " needs a value");
        }
        return args[i];
    }

    private static int count(String flag, String raw, int min) {
        try {
            int n = Integer.parseInt(raw);
            if (n >= min) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below with the allowed range
        }
        throw new IllegalArgumentException(flag + " " + raw + ": expected an integer >= " + min);
    }

    private static long millis(String flag, String raw) {
        try {
            double seconds = Double.parseDouble(raw);
            if (seconds > 0 && seconds <= 3600) {
                return Math.max(1, Math.round(seconds * 1000));
            }
        } catch (NumberFormatException ignored) {
            // reported below with the allowed range
        }
        throw new IllegalArgumentException(flag + " " + raw + ": expected seconds in (0, 3600], e.g. 2 or 0.5");
    }

    private static void param(Map<String, List<String>> params, String raw) {
        int eq = raw.indexOf('=');
        if (eq <= 0 || eq == raw.length() - 1) {
            throw new IllegalArgumentException("-p " + raw + ": expected NAME=VALUE[,VALUE...]");
        }
        params.put(raw.substring(0, eq), Arrays.asList(raw.substring(eq + 1).split(",")));
    }

    private static String regex(String raw) {
        try {
            Pattern.compile(raw);
            return raw;
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("benchmark regex " + raw + " is not valid: " + e.getDescription());
        }
    }
}
