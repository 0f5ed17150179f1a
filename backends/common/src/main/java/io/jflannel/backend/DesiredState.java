package io.jflannel.backend;

import io.jflannel.lease.SubnetKey;
import io.jflannel.netlink.NetlinkObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The kernel objects the accepted peers call for: per peer, and indexed by {@link
 * NetlinkObject#key()} so that a kernel event is matched in O(1). A slot two peers both need (the
 * same VTEP's FDB entry under an old and a new lease of one node) is counted, so one peer leaving
 * does not take it from the other. Not thread-safe (guarded by {@link PeerSync}).
 */
final class DesiredState {
  private final Map<SubnetKey, PeerObjects> byPeer = new HashMap<>();
  private final Map<Object, Slot> byKey = new HashMap<>();
  private volatile long count;

  private static final class Slot {
    NetlinkObject object;
    int refs;

    Slot(NetlinkObject object) {
      this.object = object;
    }
  }

  /** Sets a peer's objects (none before: call {@link #remove} first). */
  void put(SubnetKey peer, PeerObjects objects) {
    byPeer.put(peer, objects);
    for (NetlinkObject o : objects.all()) {
      Slot s = byKey.computeIfAbsent(o.key(), k -> new Slot(o));
      s.object = o;
      s.refs++;
    }
    count += objects.size();
  }

  /** Forgets a peer's objects; returns them, or null. */
  PeerObjects remove(SubnetKey peer) {
    PeerObjects old = byPeer.remove(peer);
    if (old != null) {
      for (NetlinkObject o : old.all()) {
        Slot s = byKey.get(o.key());
        if (s != null && --s.refs <= 0) {
          byKey.remove(o.key());
        }
      }
      count -= old.size();
    }
    return old;
  }

  void clearPeers() {
    byPeer.clear();
    byKey.clear();
    count = 0;
  }

  /** The wanted object in a slot, or null. */
  NetlinkObject wanted(Object key) {
    Slot s = byKey.get(key);
    return s == null ? null : s.object;
  }

  /** Every wanted object, once per slot. */
  List<NetlinkObject> peerObjects() {
    List<NetlinkObject> all = new ArrayList<>(byKey.size());
    for (Slot s : byKey.values()) {
      all.add(s.object);
    }
    return all;
  }

  int size() {
    return byKey.size();
  }

  /** Objects wanted, summed over peers. */
  long count() {
    return count;
  }
}
