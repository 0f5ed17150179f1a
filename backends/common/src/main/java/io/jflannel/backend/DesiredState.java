package io.jflannel.backend;

import io.jflannel.lease.SubnetKey;
import io.jflannel.netlink.NetlinkObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The kernel objects the accepted peers call for: per peer, and indexed by {@link
 * NetlinkObject#key()} so that a kernel event is matched in O(1). A slot two peers both need holds
 * each peer's own value, and the slot's wanted object is the value of the peer that came first
 * among those still there: when a peer leaves, the slot goes back to what the remaining peer wants
 * at once, never keeps the departed one's value. (Accepted peers rarely share a slot: two leases
 * claiming one subnet, address or VtepMAC are a conflict and only the older is accepted.) Not
 * thread-safe (guarded by {@link PeerSync}).
 */
final class DesiredState {
  private final Map<SubnetKey, PeerObjects> byPeer = new HashMap<>();
  private final Map<Object, Object> byKey = new HashMap<>(); // key -> Want, or List<Want> if shared
  private volatile long count;

  /** One peer's value for a slot. */
  private record Want(SubnetKey peer, NetlinkObject object) {}

  /** Sets a peer's objects (none before: call {@link #remove} first). */
  void put(SubnetKey peer, PeerObjects objects) {
    byPeer.put(peer, objects);
    for (NetlinkObject o : objects.all()) {
      Want w = new Want(peer, o);
      Object slot = byKey.putIfAbsent(o.key(), w);
      if (slot instanceof Want first) {
        List<Want> shared = new ArrayList<>(2);
        shared.add(first);
        shared.add(w);
        byKey.put(o.key(), shared);
      } else if (slot != null) {
        @SuppressWarnings("unchecked")
        List<Want> shared = (List<Want>) slot;
        shared.add(w);
      }
    }
    count += objects.size();
  }

  /** Forgets a peer's objects; returns them, or null. */
  PeerObjects remove(SubnetKey peer) {
    PeerObjects old = byPeer.remove(peer);
    if (old == null) {
      return null;
    }
    for (NetlinkObject o : old.all()) {
      Object slot = byKey.get(o.key());
      if (slot instanceof Want w) {
        if (w.peer().equals(peer)) {
          byKey.remove(o.key());
        }
      } else if (slot != null) {
        @SuppressWarnings("unchecked")
        List<Want> shared = (List<Want>) slot;
        shared.removeIf(w -> w.peer().equals(peer));
        if (shared.size() == 1) {
          byKey.put(o.key(), shared.get(0));
        }
      }
    }
    count -= old.size();
    return old;
  }

  void clearPeers() {
    byPeer.clear();
    byKey.clear();
    count = 0;
  }

  /** The wanted object in a slot, or null. */
  NetlinkObject wanted(Object key) {
    Object slot = byKey.get(key);
    if (slot == null) {
      return null;
    }
    if (slot instanceof Want w) {
      return w.object();
    }
    @SuppressWarnings("unchecked")
    List<Want> shared = (List<Want>) slot;
    return shared.get(0).object();
  }

  /** Every wanted object, once per slot. */
  List<NetlinkObject> peerObjects() {
    List<NetlinkObject> all = new ArrayList<>(byKey.size());
    for (Object k : byKey.keySet()) {
      all.add(wanted(k));
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
