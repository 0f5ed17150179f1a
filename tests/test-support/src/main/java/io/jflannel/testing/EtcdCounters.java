package io.jflannel.testing;

import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** etcd's own gRPC server counters, read from the text of its /metrics. */
public final class EtcdCounters {
  static final Pattern COUNTER =
      Pattern.compile(
          "^grpc_server_(handled|msg_received|msg_sent)_total\\{[^}]*grpc_method=\"([A-Za-z]+)\""
              + "[^}]*grpc_type=\"([a-z_]+)\"[^}]*\\} ([0-9.e+]+)$",
          Pattern.MULTILINE);

  private EtcdCounters() {}

  /**
   * The counters summed over their other labels, keyed "handled unary Range", "msg_received
   * bidi_stream Watch", "msg_sent bidi_stream Watch", …; added into {@code into}.
   */
  public static Map<String, Double> add(String metrics, Map<String, Double> into) {
    Matcher x = COUNTER.matcher(metrics);
    while (x.find()) {
      into.merge(
          x.group(1) + " " + x.group(3) + " " + x.group(2),
          Double.parseDouble(x.group(4)),
          Double::sum);
    }
    return into;
  }

  /** {@link #add} into a fresh map. */
  public static Map<String, Double> parse(String metrics) {
    return add(metrics, new TreeMap<>());
  }
}
