package io.leifdb.server.tls;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * Which member a peer certificate was issued to: a URI subject alternative name
 * {@code leifdb-member:<host:raftport>}, the address as LEIFDB_MEMBER_NODES lists it. A certificate
 * without one names no member and is trusted for any (the CA vouches for the whole cluster).
 */
public final class MemberIdentity {
    public static final String URI_PREFIX = "leifdb-member:";
    private static final int URI_SAN = 6;

    private MemberIdentity() {
    }

    /** The member addresses {@code cert} names, lower-cased; empty when it names none. */
    public static List<String> members(X509Certificate cert) {
        Collection<List<?>> names;
        try {
            names = cert.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        if (names == null) return out;
        for (List<?> n : names) {
            if (n.size() == 2 && n.get(0) instanceof Integer type && type == URI_SAN && n.get(1) instanceof String uri
                    && uri.regionMatches(true, 0, URI_PREFIX, 0, URI_PREFIX.length())) {
                out.add(normalise(uri.substring(URI_PREFIX.length())));
            }
        }
        return out;
    }

    /** The form member addresses are compared in: host names are case-insensitive. */
    public static String normalise(String hostPort) {
        return hostPort.strip().toLowerCase(Locale.ROOT);
    }
}
