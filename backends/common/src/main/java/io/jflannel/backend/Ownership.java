package io.jflannel.backend;

import io.jflannel.net.Ipv4Net;
import io.jflannel.netlink.Address;
import io.jflannel.netlink.FdbEntry;
import io.jflannel.netlink.KernelObject;
import io.jflannel.netlink.Neighbour;
import io.jflannel.netlink.Route;
import java.util.function.IntSupplier;

/**
 * Which kernel objects the agent claims, so that it may remove them when no lease explains them:
 * routes it installed (protocol 121), routes of a subnet's size inside the cluster network (but not
 * our own subnet's or the kernel's), and everything on the backend's own device (its address,
 * neighbours inside the cluster network, FDB entries). Objects of other software are left alone.
 */
final class Ownership {
  private final Ipv4Net network;
  private final int subnetLen;
  private final Ipv4Net own;
  private final IntSupplier device;

  Ownership(Ipv4Net network, int subnetLen, Ipv4Net own, IntSupplier device) {
    this.network = network;
    this.subnetLen = subnetLen;
    this.own = own;
    this.device = device;
  }

  boolean ours(KernelObject o) {
    int dev = device.getAsInt();
    if (o instanceof Route r) {
      Ipv4Net d = r.destination();
      if (r.table() != Route.TABLE_MAIN || d.equals(own)) {
        return false;
      }
      return r.protocol() == Route.PROTOCOL_JFLANNEL
          || (network.contains(d)
              && d.prefixLength() == subnetLen
              && r.protocol() != Route.PROTOCOL_KERNEL);
    }
    if (o instanceof Neighbour n) {
      return dev != 0 && n.ifindex() == dev && network.contains(n.address());
    }
    if (o instanceof FdbEntry f) {
      return dev != 0 && f.ifindex() == dev;
    }
    return o instanceof Address a && dev != 0 && a.ifindex() == dev;
  }
}
