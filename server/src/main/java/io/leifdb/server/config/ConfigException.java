package io.leifdb.server.config;

/** A configuration value that cannot be used; the message is one line naming the variable, value and rule. */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message, null, false, false);
    }

    static ConfigException invalid(String variable, String value, String allowed) {
        return new ConfigException(variable + "=\"" + oneLine(value) + "\" is not valid: " + allowed);
    }

    /** Keeps the message on one line even when the offending value spans several. */
    static String oneLine(String s) {
        return s.replace("\\", "\\\\").replace("\r", "\\r").replace("\n", "\\n").replace("\"", "\\\"");
    }
}
