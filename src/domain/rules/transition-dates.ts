// SI 2024/535: the National Award counts only for courses started before 1 September 2024 and
// completed before 1 September 2027 (learning-outcomes.md).
export const TRANSITION_START_BEFORE = '2024-09-01';
export const TRANSITION_COMPLETE_BEFORE = '2027-09-01';
