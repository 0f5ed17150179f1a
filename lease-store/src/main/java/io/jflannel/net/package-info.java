/**
 * Small IPv4 and MAC value types shared by every module. No dependencies; every type is an
 * immutable record with a strict parser that rejects malformed text with an {@link
 * java.lang.IllegalArgumentException} naming the input.
 */
package io.jflannel.net;
