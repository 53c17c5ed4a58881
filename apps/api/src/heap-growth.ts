import { setFlagsFromString } from 'node:v8';

// After each full GC, V8 sets the next old-space limit from how fast the program allocated.
// A full GC that falls inside a streamed blob pull (external memory churning at hundreds of
// MB/s) could leave a limit so close to the live heap that marking restarted at once, every
// 60 ms, for the rest of the process's life: about one process in three then spent two
// thirds of a MinIO pull's CPU in GC and pulled at half speed (docs/benchmarks.md, B4). A
// fixed growth leaves room between collections. Half the live heap was not enough for a big
// push: incremental marking then started every 70-80 ms of a 256 MiB upload, 3-6 full GCs per
// push taking as much of the thread as hashing (B5); with the whole live heap, none.
setFlagsFromString('--heap-growing-percent=100');
