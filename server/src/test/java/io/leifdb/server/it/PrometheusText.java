package io.leifdb.server.it;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** A scrape of /metrics parsed for assertions: every sample by its series ({@code name{labels}}), and the HELP'd names. */
record PrometheusText(Map<String, Double> samples, Set<String> described) {
    static PrometheusText parse(String text) {
        Map<String, Double> samples = new LinkedHashMap<>();
        Set<String> described = new TreeSet<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("# HELP ")) {
                String rest = line.substring(7);
                int space = rest.indexOf(' ');
                if (space > 0 && space < rest.length() - 1) described.add(rest.substring(0, space));
            } else if (!line.isBlank() && !line.startsWith("#")) {
                int cut = line.lastIndexOf(' ');
                samples.put(line.substring(0, cut), Double.parseDouble(line.substring(cut + 1)));
            }
        }
        return new PrometheusText(samples, described);
    }

    /** The value of the one series {@code series} (name and labels exactly as exposed); fails if absent. */
    double value(String series) {
        Double v = samples.get(series);
        if (v == null) throw new AssertionError("no series " + series + " in the scrape");
        return v;
    }

    /** The series whose name is {@code name} (any labels), with their values. */
    Map<String, Double> family(String name) {
        Map<String, Double> out = new LinkedHashMap<>();
        samples.forEach((k, v) -> {
            if (k.equals(name) || k.startsWith(name + "{")) out.put(k, v);
        });
        return out;
    }
}
