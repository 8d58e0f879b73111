package io.leifdb.server.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** Reads and checks single environment values; every failure is a one-line {@link ConfigException}. */
final class EnvReader {
    private static final Pattern HOST_NAME =
            Pattern.compile("[A-Za-z0-9_]([A-Za-z0-9_-]*[A-Za-z0-9_])?(\\.[A-Za-z0-9_]([A-Za-z0-9_-]*[A-Za-z0-9_])?)*\\.?");
    private static final Pattern IPV6_LITERAL = Pattern.compile("\\[[0-9A-Fa-f:.]+(%[A-Za-z0-9._-]+)?]");
    static final String HOST_RULE = "expected a host name or IP address (IPv6 in brackets), no spaces or port";

    private final Map<String, String> env;

    EnvReader(Map<String, String> env) {
        this.env = env;
    }

    /** The trimmed value, or empty when unset or blank: like the original, blank means "use the default". */
    Optional<String> value(String name) {
        String v = env.get(name);
        if (v == null || v.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(v.strip());
    }

    int port(String name, int dflt) {
        return (int) number(name, dflt, 1, 65535, "expected an integer port 1-65535");
    }

    long number(String name, long dflt, long min, long max, String rule) {
        Optional<String> v = value(name);
        if (v.isEmpty()) {
            return dflt;
        }
        long n;
        try {
            n = Long.parseLong(v.get());
        } catch (NumberFormatException e) {
            throw ConfigException.invalid(name, v.get(), rule);
        }
        if (n < min || n > max) {
            throw ConfigException.invalid(name, v.get(), rule);
        }
        return n;
    }

    /** {@code true} or {@code false}, in any case. */
    boolean flag(String name, boolean dflt) {
        Optional<String> v = value(name);
        if (v.isEmpty()) {
            return dflt;
        }
        return switch (v.get().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw ConfigException.invalid(name, v.get(), "expected true or false");
        };
    }

    <E extends Enum<E>> E choice(String name, Class<E> type, E dflt) {
        Optional<String> v = value(name);
        if (v.isEmpty()) {
            return dflt;
        }
        try {
            return Enum.valueOf(type, v.get().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            List<String> names = new ArrayList<>();
            for (E c : type.getEnumConstants()) {
                names.add(c.name().toLowerCase(Locale.ROOT));
            }
            throw ConfigException.invalid(name, v.get(), "expected one of " + String.join(", ", names));
        }
    }

    static boolean validHost(String host) {
        return host.length() <= 253 && (HOST_NAME.matcher(host).matches() || IPV6_LITERAL.matcher(host).matches());
    }

    /**
     * Parses {@code host:port}; returns null when it is not one, so the caller can name the variable.
     */
    static HostPort hostPort(String s) {
        int colon = s.lastIndexOf(':');
        if (colon <= 0 || colon == s.length() - 1) {
            return null;
        }
        String host = s.substring(0, colon);
        String port = s.substring(colon + 1);
        if (!validHost(host) || port.length() > 5 || !port.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return null;
        }
        int p = Integer.parseInt(port);
        return p >= 1 && p <= 65535 ? new HostPort(host, p) : null;
    }

    record HostPort(String host, int port) {
        boolean sameAs(String otherHost, int otherPort) {
            return port == otherPort && host.equalsIgnoreCase(otherHost);
        }

        @Override
        public String toString() {
            return host + ":" + port;
        }
    }
}
