package io.jflannel.agent.node;

import io.jflannel.backend.ExternalInterface;
import java.util.function.Consumer;

/**
 * What a running node tells the agent that holds it.
 *
 * @param fatal the node cannot go on (it lost its lease): the agent exits with this line
 * @param moved the interface now advertises other addresses (or was re-created): the agent moves
 *     the node to it ({@link Node#advertise}, then a new node on it)
 */
public record NodeHooks(Consumer<String> fatal, Consumer<ExternalInterface> moved) {}
