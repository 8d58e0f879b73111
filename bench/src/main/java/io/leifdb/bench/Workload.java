package io.leifdb.bench;

import java.util.Arrays;
import java.util.stream.Collectors;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** The operation mixes the bench offers; the YCSB ones follow its core workloads A, B and C. */
enum Workload {
  WRITE("write", 0.0, false, false, "PUT only, uniform keys"),
  READ("read", 1.0, false, false, "linearizable GET only, uniform keys"),
  READ_STALE("read-stale", 1.0, true, false, "GET ?consistency=stale only, uniform keys"),
  MIXED("mixed", 0.5, false, false, "50% linearizable GET, 50% PUT, uniform keys"),
  YCSB_A("ycsb-a", 0.5, false, true, "50% GET, 50% PUT, zipfian keys"),
  YCSB_B("ycsb-b", 0.95, false, true, "95% GET, 5% PUT, zipfian keys"),
  YCSB_C("ycsb-c", 1.0, false, true, "GET only, zipfian keys");

  final String cliName;
  final double readFraction;
  final boolean staleReads;
  final boolean zipfian;
  final String description;

  Workload(String cliName, double readFraction, boolean staleReads, boolean zipfian, String text) {
    this.cliName = cliName;
    this.readFraction = readFraction;
    this.staleReads = staleReads;
    this.zipfian = zipfian;
    this.description = text;
  }

  boolean reads() {
    return readFraction > 0;
  }

  static Workload parse(String text) {
    for (Workload w : values()) {
      if (w.cliName.equalsIgnoreCase(text.trim())) {
        return w;
      }
    }
    throw new IllegalArgumentException(
        "unknown workload '" + text + "'; allowed: " + names());
  }

  static String names() {
    return Arrays.stream(values()).map(w -> w.cliName).collect(Collectors.joining(", "));
  }

  @Override
  public String toString() {
    return cliName;
  }

  /** Lets picocli accept the hyphenated names. */
  static final class Converter implements ITypeConverter<Workload> {
    @Override
    public Workload convert(String value) {
      try {
        return parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  /** Lists the names in --help. */
  static final class Names implements Iterable<String> {
    @Override
    public java.util.Iterator<String> iterator() {
      return Arrays.stream(values()).map(w -> w.cliName).iterator();
    }
  }
}
