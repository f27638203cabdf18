package org.cjassessment.judge.wire;

import com.fasterxml.jackson.databind.ObjectMapper;

/** The worker's one JSON mapper (trees only: the wire shapes are built explicitly, field by field). */
public final class WireJson {

  public static final ObjectMapper MAPPER = new ObjectMapper();

  private WireJson() {}
}
