package io.jflannel.agent.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Command lines written for flanneld: Go's flag package takes {@code -flag}, {@code --flag}, {@code
 * -flag=value} and {@code -flag value} alike, so units and scripts written for flanneld use single
 * dashes ({@code -etcd-endpoints=...}, {@code -iface=eth0}, {@code -v=2}). These become picocli's
 * {@code --flag} forms before parsing; single-letter options of ours ({@code -h}, {@code -V}) are
 * left alone.
 */
public final class GoFlags {
  private static final String CONVERTER_EXCLUDES = "picocli.converters.excludes";

  private GoFlags() {}

  /**
   * picocli's parser for {@code command}, without the built-in converters for java.sql and
   * java.time types: no option of ours has one, and registering them (by reflection, for every
   * CommandLine) loads some 40 classes of those packages and the java.sql module.
   */
  public static CommandLine commandLine(Object command) {
    if (System.getProperty(CONVERTER_EXCLUDES) == null) {
      System.setProperty(CONVERTER_EXCLUDES, "java\\.sql\\..*,java\\.time\\..*");
    }
    return new CommandLine(command);
  }

  /** The long option names (without dashes) of a command, e.g. {@code etcd-endpoints}. */
  public static Set<String> longNames(CommandLine cl) {
    Set<String> out = new TreeSet<>();
    for (OptionSpec o : cl.getCommandSpec().options()) {
      for (String n : o.names()) {
        if (n.startsWith("--")) {
          out.add(n.substring(2));
        }
      }
    }
    return out;
  }

  /**
   * {@code -name} and {@code -name=value} become {@code --name...} when {@code name} is one of
   * {@code longNames}; everything after a bare {@code --} is left as it is.
   */
  public static String[] normalize(String[] args, Set<String> longNames) {
    List<String> out = new ArrayList<>(args.length);
    boolean rest = false;
    for (String a : args) {
      if (rest || a.equals("--")) {
        rest = true;
        out.add(a);
        continue;
      }
      if (a.length() > 1 && a.charAt(0) == '-' && a.charAt(1) != '-') {
        String name = a.substring(1);
        int eq = name.indexOf('=');
        if (longNames.contains(eq < 0 ? name : name.substring(0, eq))) {
          out.add("-" + a);
          continue;
        }
      }
      out.add(a);
    }
    return out.toArray(String[]::new);
  }

  /**
   * Moves the {@code global} options given before the subcommand (as with etcdctl or kubectl:
   * {@code jflanctl --etcd-endpoints=X leases}) after it, where the subcommand takes them. Each of
   * them takes a value, given as {@code --name=value} or as the next word.
   */
  public static String[] hoist(String[] args, Set<String> global) {
    List<String> front = new ArrayList<>();
    int i = 0;
    while (i < args.length && args[i].startsWith("--")) {
      String a = args[i];
      int eq = a.indexOf('=');
      String name = a.substring(2, eq < 0 ? a.length() : eq);
      if (!global.contains(name)) {
        break;
      }
      front.add(a);
      if (eq < 0 && i + 1 < args.length) {
        front.add(args[++i]);
      }
      i++;
    }
    if (front.isEmpty()) {
      return args;
    }
    List<String> out = new ArrayList<>(List.of(args).subList(i, args.length));
    int dashes = out.indexOf("--");
    out.addAll(dashes < 0 ? out.size() : dashes, front);
    return out.toArray(String[]::new);
  }
}
