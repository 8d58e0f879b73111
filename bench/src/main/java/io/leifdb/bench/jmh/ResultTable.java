package io.leifdb.bench.jmh;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;

/** A compact summary of a JMH run: one line per benchmark and parameter set, plus secondary scores. */
final class ResultTable {
    private ResultTable() {
    }

    static String render(Collection<RunResult> results) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"benchmark", "params", "score", "error", "unit"});
        for (RunResult r : results) {
            String name = shortName(r.getParams().getBenchmark());
            String params = params(r);
            rows.add(row(name, params, r.getPrimaryResult()));
            // JMH hands these out as a raw Map; the lambda takes each value as a Result<?>.
            r.getSecondaryResults().forEach((label, secondary) -> rows.add(row(name + ":" + label, params, secondary)));
        }
        int[] width = new int[5];
        for (String[] row : rows) {
            for (int c = 0; c < row.length; c++) {
                width[c] = Math.max(width[c], row[c].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (String[] row : rows) {
            out.append(String.format(Locale.ROOT, "%-" + width[0] + "s  %-" + width[1] + "s  %" + width[2]
                    + "s  %" + width[3] + "s  %s%n", (Object[]) row));
        }
        return out.toString();
    }

    private static String[] row(String name, String params, Result<?> result) {
        double error = result.getScoreError();
        String err = Double.isNaN(error) ? "" : "± " + format(error);
        return new String[] {name, params, format(result.getScore()), err, result.getScoreUnit()};
    }

    private static String params(RunResult r) {
        var p = r.getParams();
        return p.getParamsKeys().stream().map(k -> k + "=" + p.getParam(k)).collect(Collectors.joining(","));
    }

    private static String shortName(String benchmark) {
        String prefix = ResultTable.class.getPackageName() + ".";
        return benchmark.startsWith(prefix) ? benchmark.substring(prefix.length()) : benchmark;
    }

    private static String format(double v) {
        return v >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.3f", v);
    }
}
