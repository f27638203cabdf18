/** JMH benchmarks. */
package org.cjassessment.bench;
