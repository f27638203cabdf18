/** The pure domain of cj-assessment: no I/O, no framework. */
package org.cjassessment.core;
