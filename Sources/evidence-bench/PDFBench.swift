import EvidencePDF
import EvidenceReport
import EvidenceVault
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// The PDF dossier of 1,000 incidents, 1,000 messages and 200 photos of 1 MiB: seconds, pages and peak memory of
/// the PDF renderer, against the text renderer on the same model.
func runPDFBench(quick: Bool, root: URL) throws {
  let incidentCount = quick ? 200 : 1_000
  let photoCount = quick ? 40 : 200
  let messageCount = incidentCount
  let folder = root.appendingPathComponent("pdf-vault")
  let vault = try Vault.create(at: folder, passphrase: passphrase(), strength: .interactive)
  try vault.addEntries((0..<incidentCount).map(entry))

  // Photos: one small JPEG, each copy padded with comment segments to 1 MiB and made unique, like a phone's.
  let photos = root.appendingPathComponent("pdf-photos")
  try FileManager.default.createDirectory(at: photos, withIntermediateDirectories: true)
  for number in 0..<photoCount {
    let url = photos.appendingPathComponent("IMG_\(number).jpg")
    try Data(paddedJPEG(seed: number, byteCount: 1 << 20)).write(to: url)
    try vault.attach([url], toEntry: 1 + number * incidentCount / photoCount)
  }
  try importThreats(
    messageCount, into: vault, linkedTo: vault.index.entries.map(\.original.stamp.id), root: root,
    spacing: 3_000, text: { "Meddelande \($0): betala nu, annars vet du vad som händer.\nسأجدك\nЯ тебя найду" })
  let builder = DossierBuilder(
    vault: vault, selection: ExportSelection(), language: .sv, personName: "Sara Exempel", producedAt: Date(),
    timeZone: TimeZone(identifier: "Europe/Stockholm") ?? .current, includeHelpPage: true)
  let package = root.appendingPathComponent("pdf-out")
  let textTime = try fastest { _ = DossierText.render(builder.model) }
  _ = try EvidencePackage.write(builder, vault: vault, to: package)

  // Peak memory of the rendering alone: VmHWM is reset to the current size first ("5" to clear_refs).
  let before = residentMemoryMiB()
  try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)
  let pdf = package.appendingPathComponent("dossier.pdf")
  let pdfTime = try seconds { try DossierPDF.render(builder.model, exhibitsIn: package, to: pdf) }
  let peak = peakMemoryMiB()
  let size = (try FileManager.default.attributesOfItem(atPath: pdf.path)[.size] as? NSNumber)?.intValue ?? 0
  print(
    String(
      format:
        "pdf %d incidents + %d messages + %d photos of 1 MiB: %.2f s, %d pages, %.0f MB; "
        + "peak RSS while rendering %.0f MiB (%.0f MiB before)",
      incidentCount, messageCount, photoCount, pdfTime, pageCount(pdf), Double(size) / 1e6, peak, before))
  report("pdf dossier", pdfTime, baseline: textTime, baselineName: "DossierText.render, same model")
}

/// The page count from the PDF's page tree ("/Type /Pages … /Count N"), read by pdfinfo when it is there.
private func pageCount(_ pdf: URL) -> Int {
  guard let pdfinfo = ["/usr/bin/pdfinfo", "/usr/local/bin/pdfinfo"].first(where: FileManager.default.fileExists)
  else { return 0 }
  let process = Process()
  process.executableURL = URL(fileURLWithPath: pdfinfo)
  process.arguments = [pdf.path]
  let pipe = Pipe()
  process.standardOutput = pipe
  guard (try? process.run()) != nil else { return 0 }
  let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
  process.waitUntilExit()
  let line = output.split(separator: "\n").first { $0.hasPrefix("Pages:") }
  return line.flatMap { Int($0.dropFirst("Pages:".count).trimmingCharacters(in: .whitespaces)) } ?? 0
}

/// This process's resident memory now (VmRSS).
private func residentMemoryMiB() -> Double {
  guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
    let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
    let kilobytes = Double(line.split(separator: " ").dropFirst().first ?? "")
  else { return 0 }
  return kilobytes / 1024
}

/// A 120 × 90 JPEG (a red square with a green circle) with comment segments after its start marker, so that it is
/// `byteCount` long; `seed` goes into the comments so that every copy is a different file.
private func paddedJPEG(seed: Int, byteCount: Int) -> [UInt8] {
  let base = [UInt8](Data(base64Encoded: sampleJPEG) ?? Data())
  guard base.count > 2 else { return base }
  var bytes = Array(base[0..<2])
  var remaining = byteCount - base.count
  var counter = UInt8(truncatingIfNeeded: seed)
  while remaining > 4 {
    let length = min(65_535, remaining - 2)
    bytes += [0xFF, 0xFE, UInt8(length >> 8), UInt8(length & 0xFF)]
    for _ in 0..<(length - 2) {
      bytes.append(0x20 + counter % 64)
      counter &+= 1
    }
    remaining -= length + 2
  }
  return bytes + base[2...]
}

private let sampleJPEG = [
  "/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkSEw8UHRofHh0aHBwgJC4nICIsIxwcKDcpLDAx",
  "NDQ0Hyc5PTgyPC4zNDL/2wBDAQkJCQwLDBgNDRgyIRwhMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIy",
  "MjIyMjIyMjL/wAARCABaAHgDASIAAhEBAxEB/8QAHwAAAQUBAQEBAQEAAAAAAAAAAAECAwQFBgcICQoL/8QAtRAAAgEDAwIEAwUF",
  "BAQAAAF9AQIDAAQRBRIhMUEGE1FhByJxFDKBkaEII0KxwRVS0fAkM2JyggkKFhcYGRolJicoKSo0NTY3ODk6Q0RFRkdISUpTVFVW",
  "V1hZWmNkZWZnaGlqc3R1dnd4eXqDhIWGh4iJipKTlJWWl5iZmqKjpKWmp6ipqrKztLW2t7i5usLDxMXGx8jJytLT1NXW19jZ2uHi",
  "4+Tl5ufo6erx8vP09fb3+Pn6/8QAHwEAAwEBAQEBAQEBAQAAAAAAAAECAwQFBgcICQoL/8QAtREAAgECBAQDBAcFBAQAAQJ3AAEC",
  "AxEEBSExBhJBUQdhcRMiMoEIFEKRobHBCSMzUvAVYnLRChYkNOEl8RcYGRomJygpKjU2Nzg5OkNERUZHSElKU1RVVldYWVpjZGVm",
  "Z2hpanN0dXZ3eHl6goOEhYaHiImKkpOUlZaXmJmaoqOkpaanqKmqsrO0tba3uLm6wsPExcbHyMnK0tPU1dbX2Nna4uPk5ebn6Onq",
  "8vP09fb3+Pn6/9oADAMBAAIRAxEAPwDMoooryT7QKKKKACiiigAopQCTgAk+1P8AIl/55P8A98mgzlVhDSTSI6KUgg4IIPvSUFpp",
  "6oKKKKBhRRRQAUUUUAFFFFABRRRQAAEkADJNaEFgAA03J/uilsbcKvmsPmP3fYVdqkj47Oc7nzuhh3ZLd9fkIqqgwqgD0ApaKKZ8",
  "q227sRlVxhlBHoRVKewBBaHg/wB01eoosdeEx1fCS5qUreXR/IwSCCQRgiitG+twy+ao+Yfe9xWdUNH6Fl+OhjaKqx0fVdmFFFFB",
  "3BRRRQAUUUUAFOjTzJVT1OKbU9n/AMfafj/Kg58VUdKhOot0m/uRrgAAAcAUUUVZ+V7hRRRQAUUUUABAIIPINYcieXKyehxW5WRe",
  "f8fb/h/KlI+n4YqtV50+jV/uf/BIKKKKk+1CiiigAooooAKkgfy50Y8AHmo6KDOpTVSDg9mrG9RVe0n86EAn5l4NWKs/LcRQnQqy",
  "pT3QUUUUGIUUUUAFYs7+ZO7DkE8VpXc/kwkA/M3ArJqWfY8M4SUYyxEuui/UKKKKR9WFFFFABRRRQAUUUUAPjkaJw6HBH61qQXUc",
  "4wDhv7prIopp2PKzHKqOOV5aSXX/AD7m9RWQl3OgwHyPfmpP7Rm/up+R/wAadz5ipw3jIu0WmvU06gnuo4BgnLf3RWe93O4wXwPb",
  "ioKLnbg+GWpc2Jlp2X+f9eo+WRpXLuck/pTKKKk+shCMIqMVZIKKKKCwooooAKKKKACiiigAooooAKKKKACiiigAooooAKKKKACi",
  "iigD/9k=",
].joined()
