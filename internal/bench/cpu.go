package bench

import "time"

// CPUWindow is the process's CPU time (user and system, all threads)
// over a wall-clock window. The throughput scenario measures each bot
// and each echo run with it over exactly its timed window: the fake Bot
// API runs in the same process, so both figures include the fake's CPU.
type CPUWindow struct {
	CPU  time.Duration // user + system time of the whole process
	Wall time.Duration // from just before the first reading to just after the last
}

// Cores is the CPU kept busy on average: CPU ÷ wall.
func (w CPUWindow) Cores() float64 {
	if w.Wall <= 0 {
		return 0
	}
	return float64(w.CPU) / float64(w.Wall)
}

// Per is the CPU per item in microseconds, for n items in the window.
func (w CPUWindow) Per(n int) float64 {
	if n <= 0 {
		return 0
	}
	return float64(w.CPU) / float64(time.Microsecond) / float64(n)
}

// cpuClock is a started CPUWindow.
type cpuClock struct {
	wall time.Time
	cpu  time.Duration
}

// startCPU reads the clocks at the start of a window. The wall clock is
// read first, so the window's wall time spans both CPU readings.
func startCPU() (cpuClock, error) {
	wall := time.Now()
	cpu, err := ProcessCPU()
	return cpuClock{wall: wall, cpu: cpu}, err
}

// stop reads the clocks at the end of the window.
func (c cpuClock) stop() (CPUWindow, error) {
	cpu, err := ProcessCPU()
	return CPUWindow{CPU: cpu - c.cpu, Wall: time.Since(c.wall)}, err
}
