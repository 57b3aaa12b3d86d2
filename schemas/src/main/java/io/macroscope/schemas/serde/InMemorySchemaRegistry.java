package io.macroscope.schemas.serde;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.apache.avro.Schema;

/**
 * A registry kept in memory, for unit tests of serdes and topologies (TopologyTestDriver) and
 * offline tools: ids handed out from 1 in registration order, no compatibility checks. Production
 * uses {@link RestSchemaRegistry}.
 */
public final class InMemorySchemaRegistry implements SchemaRegistry {

  private final List<Schema> schemas = new ArrayList<>();
  private final Map<String, Map<Schema, Integer>> subjects = new HashMap<>();
  private int calls;

  /** Calls made to the registry so far (lets tests check client-side caching). */
  public synchronized int calls() {
    return calls;
  }

  @Override
  public synchronized int register(String subject, Schema schema) {
    calls++;
    int index = schemas.indexOf(schema);
    if (index < 0) {
      schemas.add(schema);
      index = schemas.size() - 1;
    }
    subjects.computeIfAbsent(subject, s -> new HashMap<>()).put(schema, index + 1);
    return index + 1;
  }

  @Override
  public synchronized OptionalInt lookup(String subject, Schema schema) {
    calls++;
    Integer id = subjects.getOrDefault(subject, Map.of()).get(schema);
    return id == null ? OptionalInt.empty() : OptionalInt.of(id);
  }

  @Override
  public synchronized Schema byId(int id) {
    calls++;
    if (id < 1 || id > schemas.size()) {
      throw new UnknownSchemaException("schema id " + id + " is not known to the registry");
    }
    return schemas.get(id - 1);
  }

  @Override
  public void setCompatibility(String subject, String level) {}

  @Override
  public boolean isCompatible(String subject, Schema schema) {
    return true;
  }
}
