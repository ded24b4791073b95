// Under mutation testing every property runs from one fixed seed. A property test draws new
// cases on every run, so without it a mutant's verdict would depend on which cases that run
// happened to draw: killed in one measurement, survived in the next. `npm test` keeps random
// seeds (fast-check prints the failing one) to keep exploring.
import fc from 'fast-check';

fc.configureGlobal({ seed: 20_261_201 });
