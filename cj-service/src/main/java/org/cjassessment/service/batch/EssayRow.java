package org.cjassessment.service.batch;

/** An essay as stored (text excluded unless asked for). */
public record EssayRow(
    String essayId,
    boolean isAnchor,
    String anchorGrade,
    Double score,
    Double se,
    Integer rank,
    int comparisons,
    int wins,
    Double infit,
    Double outfit) {}
