package io.jflannel.agent.cleanup;

import io.jflannel.agent.cli.AgentOptions;
import io.jflannel.agent.firewall.Firewalls;
import io.jflannel.agent.node.LocalState;
import io.jflannel.agent.node.NodeLock;
import io.jflannel.agent.node.StartupException;
import io.jflannel.lease.NetworkConfig;
import io.jflannel.lease.etcd.EtcdLeaseRegistry;
import io.jflannel.netlink.Netlink;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code jflanneld cleanup}: removes what the agent made on this node (docs/operations.md, "Going
 * back to flanneld"), with the agent's own flags: its devices and routes of both families, its
 * firewall rules of either mode, the CNI config it wrote, subnet.env and its state directory; with
 * {@code --release-lease} also its lease in etcd. Refused while an agent runs on the node (the node
 * lock); {@code --dry-run} only says what it would remove.
 */
public final class Cleanup {
  private final AgentOptions o;
  private final boolean releaseLease;
  private final boolean dryRun;
  private final PrintWriter out;
  private final PrintWriter err;
  private int failures;

  public Cleanup(
      AgentOptions o, boolean releaseLease, boolean dryRun, PrintWriter out, PrintWriter err) {
    this.o = o;
    this.releaseLease = releaseLease;
    this.dryRun = dryRun;
    this.out = out;
    this.err = err;
  }

  /** Runs it; 0 when everything found was removed, 1 otherwise (each failure said on stderr). */
  public int run() throws IOException {
    Path stateDir = o.node().stateDir();
    boolean stateExisted = Files.isDirectory(stateDir);
    NodeLock lock = null;
    if (dryRun) {
      String pid = Files.isDirectory(stateDir) ? NodeLock.heldBy(stateDir) : null;
      if (pid != null) {
        out.println("note: an agent (pid " + pid + ") runs on this node: cleanup would refuse");
      }
    } else {
      try {
        lock = NodeLock.take(stateDir, "jflanneld cleanup");
      } catch (StartupException e) {
        fail(e.getMessage());
        return 1;
      }
    }
    int removed = 0;
    try (Netlink nl = Netlink.open();
        EtcdLeaseRegistry etcd = releaseLease ? connect() : null) {
      LocalState local = new LocalState(stateDir, o.node().subnetFile());
      Optional<NetworkConfig> config = local.config();
      List<Leftover> kernel = new ArrayList<>();
      if (etcd != null) {
        try {
          LeaseRelease.find(etcd, nl, local.subnet(), out::println).ifPresent(kernel::add);
        } catch (RuntimeException e) {
          fail("cannot release the lease: " + e.getMessage());
        }
      }
      kernel.addAll(KernelLeftovers.find(nl, config));
      removed += removeAll(kernel);
      removed += firewall();
      List<Leftover> files = new ArrayList<>(FileLeftovers.find(o));
      if (stateExisted) {
        files.addAll(FileLeftovers.state(stateDir));
      }
      removed += removeAll(files);
    } finally {
      if (lock != null) {
        lock.close();
        if (!stateExisted) { // made by the lock alone: gone again
          Files.deleteIfExists(stateDir.resolve(NodeLock.FILE));
          Files.deleteIfExists(stateDir);
        }
      }
    }
    out.println(
        (removed == 0 && failures == 0 ? "nothing of jflanneld's on this node" : "")
            + (removed > 0 ? (dryRun ? "would remove " : "removed ") + removed + " item(s)" : "")
            + (failures > 0 ? "; " + failures + " could not be removed (see above)" : ""));
    return failures == 0 ? 0 : 1;
  }

  /** etcd for --release-lease, or null (said why) when it cannot be reached. */
  private EtcdLeaseRegistry connect() {
    try {
      return EtcdLeaseRegistry.connect(o.etcd());
    } catch (RuntimeException e) {
      fail("cannot release the lease: etcd: " + e.getMessage());
      return null;
    }
  }

  private void fail(String why) {
    err.println("jflanneld cleanup: " + why);
    failures++;
  }

  private int removeAll(List<Leftover> leftovers) {
    int n = 0;
    for (Leftover l : leftovers) {
      n += remove(l);
    }
    return n;
  }

  private int firewall() {
    try {
      List<String> rules = Firewalls.removeAll(dryRun);
      rules.forEach(r -> out.println((dryRun ? "would remove " : "removed ") + r));
      return rules.size();
    } catch (RuntimeException e) {
      fail("cannot remove the firewall rules: " + e.getMessage());
      return 0;
    }
  }

  private int remove(Leftover l) {
    if (dryRun) {
      out.println("would remove " + l.what());
      return 1;
    }
    try {
      l.remove().run();
      out.println("removed " + l.what());
      return 1;
    } catch (RuntimeException e) {
      fail("cannot remove " + l.what() + ": " + e.getMessage());
      return 0;
    }
  }
}
