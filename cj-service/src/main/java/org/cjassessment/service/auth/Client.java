package org.cjassessment.service.auth;

/**
 * Who is calling: an API key's client, with the identity billed for its batches. HTTP batch ids are scoped to the
 * client (two clients may both send batch_id "b1"); Kafka requests belong to {@link #PLATFORM_ID}.
 *
 * @param clientId the namespace of the client's batch ids, and the owner of its batches
 * @param orgId billed organisation, may be null
 * @param userId billed user
 */
public record Client(String clientId, String orgId, String userId) {

  /**
   * The client of the Kafka intake (the upstream platform). An API key with this client id shares its batch ids with
   * the Kafka requests, so that the same batch sent both ways is one batch.
   */
  public static final String PLATFORM_ID = "platform";

  public Client {
    if (clientId == null || clientId.isBlank()) {
      throw new IllegalArgumentException("client id is blank");
    }
    if (userId == null || userId.isBlank()) {
      throw new IllegalArgumentException("user id of client " + clientId + " is blank");
    }
  }
}
