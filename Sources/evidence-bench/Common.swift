import EvidenceVault
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

// Helpers shared by the benchmarks.

func seconds(_ body: () throws -> Void) rethrows -> Double {
  let start = DispatchTime.now().uptimeNanoseconds
  try body()
  return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

func passphrase() -> SecretBytes {
  let bytes = Array("benchmark passphrase".utf8)
  let secret = SecretBytes(zeroedByteCount: bytes.count)
  secret.withUnsafeMutableBytes { out in bytes.withUnsafeBytes { out.copyMemory(from: $0) } }
  return secret
}

func entry(_ number: Int) -> Entry {
  Entry(
    occurred: Occurrence(
      start: Date(timeIntervalSince1970: 1_700_000_000 + Double(number) * 3600), precision: .minute,
      timeZone: TimeZone(identifier: "Europe/Stockholm") ?? .current),
    title: "Incident \(number)",
    narrative: String(repeating: "He came to the door again and said I owe him money. ", count: 6),
    location: "Storgatan 5, Malmö", categories: [.threat])
}

/// This process's peak resident memory (VmHWM, which, unlike getrusage's ru_maxrss, does not carry over the
/// parent's peak across fork and exec).
func peakMemoryMiB() -> Double {
  guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
    let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
    let kilobytes = Double(line.split(separator: " ").dropFirst().first ?? "")
  else { return 0 }
  return kilobytes / 1024
}

func report(_ name: String, _ time: Double, baseline: Double, baselineName: String) {
  print(
    String(
      format: "%@: %.3f s; baseline (%@) %.3f s; ratio %.2f×", name, time, baselineName, baseline, time / baseline))
}

/// The fastest of three runs, to keep other work on the machine out of the figure.
func fastest(_ body: () throws -> Void) rethrows -> Double {
  try (0..<3).map { _ in try seconds(body) }.min() ?? 0
}
