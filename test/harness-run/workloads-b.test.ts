import { workloadMatrix } from './workload-matrix.ts';

workloadMatrix(['election', 'watch', 'znode', 'session']);
