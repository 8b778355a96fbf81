import { workloadMatrix } from './workload-matrix.ts';

workloadMatrix(['register', 'set', 'queue', 'lock']);
