package io.jflannel.agent;

import io.jflannel.backend.Drift;
import io.jflannel.net.Ipv4Net;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * flannel's rules (DESIGN.md §5) in chains FLANNEL-POSTRTG (nat) and FLANNEL-FWD (filter), applied
 * with {@code iptables-restore --noflush -w} of the flavour the host uses (nft or legacy, detected
 * as kube-proxy does: whichever holds more rules).
 */
final class Iptables {
  private static final Logger LOG = LoggerFactory.getLogger(Iptables.class);
  static final String MASQ_COMMENT = "flanneld masq";
  static final String FWD_COMMENT = "flanneld forward";

  private final String flavour;
  private final Ipv4Net network;
  private final Ipv4Net pod;
  private final boolean masq;
  private final boolean forward;

  Iptables(Ipv4Net network, Ipv4Net pod, boolean masq, boolean forward) {
    this.network = network;
    this.pod = pod;
    this.masq = masq;
    this.forward = forward;
    this.flavour = detectFlavour();
  }

  static String detectFlavour() {
    int nft = count("iptables-nft-save");
    int legacy = count("iptables-legacy-save");
    return legacy > nft ? "legacy" : "nft";
  }

  private static int count(String cmd) {
    try {
      return (int) run(List.of(cmd), null).lines().filter(l -> l.startsWith("-A")).count();
    } catch (RuntimeException e) {
      return -1;
    }
  }

  String flavour() {
    return flavour;
  }

  /**
   * The nat rules of our chain, without the -A CHAIN prefix removed (as iptables-save prints them).
   */
  List<String> natRules() {
    String c = " -m comment --comment \"" + MASQ_COMMENT + "\"";
    List<String> r = new ArrayList<>();
    r.add("-A FLANNEL-POSTRTG -m mark --mark 0x4000/0x4000" + c + " -j RETURN");
    r.add("-A FLANNEL-POSTRTG -s " + pod + " -d " + network + c + " -j RETURN");
    r.add("-A FLANNEL-POSTRTG -s " + network + " -d " + pod + c + " -j RETURN");
    r.add("-A FLANNEL-POSTRTG ! -s " + network + " -d " + pod + c + " -j RETURN");
    r.add(
        "-A FLANNEL-POSTRTG -s "
            + network
            + " ! -d 224.0.0.0/4"
            + c
            + " -j MASQUERADE --random-fully");
    r.add(
        "-A FLANNEL-POSTRTG ! -s "
            + network
            + " -d "
            + network
            + c
            + " -j MASQUERADE --random-fully");
    return r;
  }

  List<String> filterRules() {
    String c = " -m comment --comment \"" + FWD_COMMENT + "\"";
    return List.of(
        "-A FLANNEL-FWD -s " + network + c + " -j ACCEPT",
        "-A FLANNEL-FWD -d " + network + c + " -j ACCEPT");
  }

  /** Rules and jumps missing, and rules in our chains that should not be there. */
  List<Drift> drift() {
    List<Drift> d = new ArrayList<>();
    if (masq) {
      compare(
          "nat",
          expect("nat", "POSTROUTING", MASQ_COMMENT, "FLANNEL-POSTRTG", natRules()),
          "-A FLANNEL-POSTRTG ",
          d);
    }
    if (forward) {
      compare(
          "filter",
          expect("filter", "FORWARD", FWD_COMMENT, "FLANNEL-FWD", filterRules()),
          "-A FLANNEL-FWD ",
          d);
    }
    return d;
  }

  private void compare(String t, List<String> want, String ours, List<Drift> d) {
    List<String> have = table(t);
    want.stream()
        .filter(w -> !have.contains(w))
        .forEach(w -> d.add(Drift.missing("-t " + t + " " + w)));
    have.stream()
        .filter(h -> h.startsWith(ours) && !want.contains(h))
        .forEach(h -> d.add(Drift.extra("-t " + t + " " + h)));
  }

  private static List<String> expect(
      String table, String parent, String comment, String chain, List<String> rules) {
    List<String> all = new ArrayList<>(rules);
    all.add("-A " + parent + " -m comment --comment \"" + comment + "\" -j " + chain);
    return all;
  }

  private List<String> table(String t) {
    return run(List.of(cmd("save"), "-t", t), null).lines().map(String::strip).toList();
  }

  /** Writes the chains (replacing their content) and adds the jumps that are missing. */
  void apply() {
    StringBuilder in = new StringBuilder();
    if (masq) {
      boolean jump =
          table("nat").stream()
              .anyMatch(l -> l.contains("--comment \"" + MASQ_COMMENT + "\" -j FLANNEL-POSTRTG"));
      in.append("*nat\n:FLANNEL-POSTRTG - [0:0]\n");
      natRules().forEach(r -> in.append(r).append('\n'));
      if (!jump) {
        in.append(
            "-A POSTROUTING -m comment --comment \"" + MASQ_COMMENT + "\" -j FLANNEL-POSTRTG\n");
      }
      in.append("COMMIT\n");
    }
    if (forward) {
      boolean jump =
          table("filter").stream()
              .anyMatch(l -> l.contains("--comment \"" + FWD_COMMENT + "\" -j FLANNEL-FWD"));
      in.append("*filter\n:FLANNEL-FWD - [0:0]\n");
      filterRules().forEach(r -> in.append(r).append('\n'));
      if (!jump) {
        in.append("-A FORWARD -m comment --comment \"" + FWD_COMMENT + "\" -j FLANNEL-FWD\n");
      }
      in.append("COMMIT\n");
    }
    if (in.length() > 0) {
      run(List.of(cmd("restore"), "--noflush", "-w"), in.toString());
      LOG.info("iptables ({}) rules applied: masquerade {}, forward {}", flavour, masq, forward);
    }
  }

  private String cmd(String verb) {
    return "iptables-" + flavour + "-" + verb;
  }

  static String run(List<String> cmd, String stdin) {
    try {
      Process p = new ProcessBuilder(cmd).start();
      if (stdin != null) {
        p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
      }
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(String.join(" ", cmd) + " timed out");
      }
      if (p.exitValue() != 0) {
        throw new IllegalStateException(
            String.join(" ", cmd) + " exited " + p.exitValue() + ": " + err.strip());
      }
      return out;
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot run " + String.join(" ", cmd) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted running " + String.join(" ", cmd), e);
    }
  }
}
