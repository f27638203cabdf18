package org.cjassessment.service.batch;

/**
 * An essay of a batch request.
 *
 * @param text the essay text (never logged)
 * @param storageId the content-store reference it was fetched from, when it came by reference
 * @param anchorGrade the known grade for an anchor essay, null for a student essay
 */
public record EssayInput(String essayId, String text, String storageId, String anchorGrade) {

  public static EssayInput student(String essayId, String text) {
    return new EssayInput(essayId, text, null, null);
  }

  public static EssayInput anchor(String essayId, String text, String grade) {
    return new EssayInput(essayId, text, null, grade);
  }

  public boolean isAnchor() {
    return anchorGrade != null;
  }

  @Override
  public String toString() {
    return "EssayInput[" + essayId + (isAnchor() ? ", anchor " + anchorGrade : "") + ", " + (text == null ? 0
        : text.length()) + " chars]"; // never the text itself
  }
}
