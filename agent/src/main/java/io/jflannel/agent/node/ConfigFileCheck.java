package io.jflannel.agent.node;

import io.jflannel.backend.NetworkConfigs;
import io.jflannel.lease.ConfigChange;
import io.jflannel.lease.ConfigException;
import io.jflannel.lease.NetworkConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * {@code --net-config-path}: the network config file an operator edits (the DaemonSet's ConfigMap)
 * held against the config in force, etcd's. They differ when the file was edited and nobody wrote
 * it to etcd: the node says so (condition "config-file") instead of silently ignoring the file.
 */
final class ConfigFileCheck {
  private ConfigFileCheck() {}

  /**
   * Null when {@code file} means what {@code inForce} means; else why not, with what to do.
   *
   * @param key etcd's config key, for the message
   */
  static String problem(Path file, NetworkConfig inForce, String key) {
    String json;
    try {
      json = Files.readString(file);
    } catch (NoSuchFileException e) {
      return "--net-config-path " + file + " does not exist";
    } catch (IOException e) {
      return "cannot read --net-config-path " + file + ": " + e;
    }
    NetworkConfig wanted;
    try {
      wanted = NetworkConfigs.parse(json);
    } catch (ConfigException e) {
      return file
          + " is not a valid network config ("
          + e.getMessage()
          + "); "
          + key
          + " is in force";
    }
    ConfigChange d = ConfigChange.between(inForce, wanted);
    if (d.none()) {
      return null;
    }
    return file
        + " differs from "
        + key
        + " in etcd ("
        + d.describe()
        + "), which is in force: write the file to etcd with `jflanctl config set "
        + file
        + "` to change the network of every node, or make the file etcd's again";
  }
}
