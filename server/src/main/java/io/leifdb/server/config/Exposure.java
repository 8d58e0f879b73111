package io.leifdb.server.config;

import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Who can reach the node: the address both ports listen on, and the browser origins CORS admits.
 *
 * @param bindAddress LEIFDB_BIND_ADDRESS; empty: HTTP on every interface and Raft on LEIFDB_HOST's address, as before
 * @param corsOrigins LEIFDB_CORS_ORIGINS; {@code ["*"]} (the original's behaviour) or exact origins
 */
public record Exposure(Optional<String> bindAddress, List<String> corsOrigins) {
    public static final String BIND_ADDRESS = "LEIFDB_BIND_ADDRESS";
    public static final String CORS_ORIGINS = "LEIFDB_CORS_ORIGINS";
    public static final List<String> ANY_ORIGIN = List.of("*");

    public static final Exposure DEFAULT = new Exposure(Optional.empty(), ANY_ORIGIN);

    public Exposure {
        corsOrigins = List.copyOf(corsOrigins);
    }

    static Exposure read(EnvReader r) {
        return new Exposure(r.value(BIND_ADDRESS).map(Exposure::bindAddress), r.value(CORS_ORIGINS).map(Exposure::origins)
                .orElse(ANY_ORIGIN));
    }

    /** An address of this machine (or 0.0.0.0 / :: for all), so a typo fails here and not as a bind error. */
    private static String bindAddress(String v) {
        String rule = "expected an IP address or host name of this machine (0.0.0.0 for every interface)";
        String host = v.startsWith("[") && v.endsWith("]") ? v.substring(1, v.length() - 1) : v;
        // An IPv6 address may come with or without brackets: nothing follows it here, so no port can be confused.
        if (!EnvReader.validHost(v) && !EnvReader.validHost("[" + host + "]")) throw ConfigException.invalid(BIND_ADDRESS, v, rule);
        try {
            InetAddress a = InetAddress.getByName(host);
            if (!a.isAnyLocalAddress() && !a.isLoopbackAddress() && NetworkInterface.getByInetAddress(a) == null) {
                throw ConfigException.invalid(BIND_ADDRESS, v, a.getHostAddress() + " is not an address of this machine; " + rule);
            }
            return host;
        } catch (IOException e) {
            throw ConfigException.invalid(BIND_ADDRESS, v, "cannot resolve it; " + rule);
        }
    }

    /** "*" alone, or comma-separated origins {@code scheme://host[:port]} as browsers send them (no path). */
    private static List<String> origins(String v) {
        String rule = "expected * or comma-separated origins such as https://app.example.com:8443 (scheme, host, optional port, no path)";
        List<String> out = new ArrayList<>();
        for (String item : v.split(",", -1)) {
            String o = item.strip();
            if (o.equals("*")) {
                if (!v.strip().equals("*")) throw ConfigException.invalid(CORS_ORIGINS, v, "* must stand alone; " + rule);
                return ANY_ORIGIN;
            }
            URI u;
            try {
                u = new URI(o);
            } catch (URISyntaxException e) {
                throw ConfigException.invalid(CORS_ORIGINS, v, "\"" + ConfigException.oneLine(o) + "\" is not an origin; " + rule);
            }
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            boolean bare = (u.getRawPath() == null || u.getRawPath().isEmpty()) && u.getRawQuery() == null
                    && u.getRawFragment() == null && u.getRawUserInfo() == null;
            if (!(scheme.equals("http") || scheme.equals("https")) || u.getHost() == null || !bare) {
                throw ConfigException.invalid(CORS_ORIGINS, v, "\"" + ConfigException.oneLine(o) + "\" is not an origin; " + rule);
            }
            out.add(o);
        }
        return out;
    }
}
