package io.jflannel.backend.udp;

import io.jflannel.lease.Lease;
import io.jflannel.net.Ipv4Address;
import io.jflannel.net.Ipv4Net;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Collection;

/**
 * An immutable snapshot of where each peer subnet lives (subnet → PublicIP:port) and which underlay
 * addresses are peers. The data path reads it without locks; lease changes build a new one and
 * publish it through a volatile field.
 */
final class PeerTable {
  private final int shift;
  private final int[] keys; // subnet base >>> shift, open addressing; -1 = empty
  private final InetSocketAddress[] values;
  private final int[] peerIps; // sorted
  private final int size;

  private PeerTable(int subnetLen, int capacity) {
    this.shift = 32 - subnetLen;
    this.keys = new int[capacity];
    Arrays.fill(keys, -1);
    this.values = new InetSocketAddress[capacity];
    this.peerIps = new int[0];
    this.size = 0;
  }

  private PeerTable(PeerTable t, int[] peerIps, int size) {
    this.shift = t.shift;
    this.keys = t.keys;
    this.values = t.values;
    this.peerIps = peerIps;
    this.size = size;
  }

  /** A table without peers. */
  static PeerTable empty(int subnetLen) {
    return new PeerTable(subnetLen, 2);
  }

  /** The table for {@code leases} (all reached on {@code port}), skipping {@code own}. */
  static PeerTable of(Collection<Lease> leases, Ipv4Net own, int subnetLen, int port) {
    int cap = Integer.highestOneBit(Math.max(2, leases.size()) * 2) * 2;
    PeerTable t = new PeerTable(subnetLen, cap);
    int[] ips = new int[leases.size()];
    int n = 0;
    for (Lease l : leases) {
      if (l.subnet().equals(own) || l.attrs() == null || l.attrs().publicIp() == null) {
        continue;
      }
      int ip = l.attrs().publicIp().value();
      t.put(
          l.subnet().address().value() >>> t.shift,
          new InetSocketAddress(l.attrs().publicIp().toInetAddress(), port));
      ips[n++] = ip;
    }
    int[] sorted = Arrays.copyOf(ips, n);
    Arrays.sort(sorted);
    return new PeerTable(t, sorted, n);
  }

  private void put(int key, InetSocketAddress v) {
    int i = slot(key);
    keys[i] = key;
    values[i] = v;
  }

  private int slot(int key) {
    int mask = keys.length - 1;
    int i = (key * 0x9e3779b9) >>> 7 & mask;
    while (keys[i] != -1 && keys[i] != key) {
      i = (i + 1) & mask;
    }
    return i;
  }

  /** Where packets for the inner destination {@code dst} go, or null when no peer owns it. */
  InetSocketAddress lookup(int dst) {
    int i = slot(dst >>> shift);
    return keys[i] == -1 ? null : values[i];
  }

  /** True when {@code ip} is a peer's PublicIP. */
  boolean isPeer(int ip) {
    return Arrays.binarySearch(peerIps, ip) >= 0;
  }

  /** Peers in the table. */
  int size() {
    return size;
  }

  /** An InetAddress as an int (0 for IPv6). */
  static int toInt(InetAddress a) {
    byte[] b = a.getAddress();
    return b.length == 4 ? Ipv4Address.of(b).value() : 0;
  }
}
