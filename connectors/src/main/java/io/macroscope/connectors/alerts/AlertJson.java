package io.macroscope.connectors.alerts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.macroscope.schemas.Alert;
import java.util.LinkedHashMap;
import java.util.Map;

/** One alert as a JSON object (what the file and webhook sinks write). */
public final class AlertJson {

  private static final ObjectMapper JSON = new ObjectMapper();

  private AlertJson() {}

  public static String of(Alert a) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("alertId", a.getAlertId());
    m.put("status", a.getStatus().name());
    m.put("ruleId", a.getRuleId());
    m.put("kind", a.getKind().name());
    m.put("sourceId", a.getSourceId());
    m.put("probability", a.getProbability());
    m.put("leadTime", a.getLeadTime());
    m.put("sequence", a.getSequence());
    m.put("eventTime", a.getEventTime().toString());
    m.put("modelVersion", a.getModelVersion());
    m.put("message", a.getMessage());
    m.put("evidence", a.getEvidence());
    try {
      return JSON.writeValueAsString(m);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
