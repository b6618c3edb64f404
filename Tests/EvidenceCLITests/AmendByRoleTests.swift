import Foundation
import Testing

@Suite("amend changes the people of one role, and a new start keeps the end")
struct AmendByRoleCLITests {
  /// The people of the current version of `number`, as (person id, role), and its occurrence.
  private func current(_ number: Int, in vault: TestVault) throws -> (
    people: [[String: String]], occurred: [String: Any]
  ) {
    let show = try vault.succeed(["show", "\(number)", "--json"])
    let history = try #require(try JSONSerialization.jsonObject(with: Data(show.stdout.utf8)) as? [String: Any])
    let versions = try #require(history["versions"] as? [[String: Any]], "\(show)")
    let last = try #require(versions.last)
    let people = try #require(last["people"] as? [[String: String]], "\(show)")
    let occurred = try #require(last["occurred"] as? [String: Any], "\(show)")
    return (people, occurred)
  }

  @Test("amend --witness keeps the perpetrator, --remove-person takes one off, --when keeps the end")
  func amendByRole() throws {
    let vault = try TestVault()
    defer { vault.remove() }
    try vault.succeed(["person", "add", "Marko"])
    try vault.succeed(["person", "add", "Fatima"])
    try vault.addEntry(
      when: "2026-11-28 22:30", title: "Threats", narrative: "He said I owe him.",
      extra: ["--person", "Marko", "--ended", "2026-11-28 23:15"])
    let before = try current(1, in: vault)
    try #require(before.people.count == 1 && before.people[0]["role"] == "perpetrator", "\(before)")
    let marko = try #require(before.people[0]["person"])

    let withWitness = try vault.succeed(["amend", "1", "--witness", "Fatima"])
    #expect(withWitness.stdout.contains("Saved the amendment to entry #1"), "\(withWitness)")
    let afterWitness = try current(1, in: vault)
    #expect(afterWitness.people.count == 2, "\(afterWitness)")
    #expect(afterWitness.people.first?["person"] == marko && afterWitness.people.first?["role"] == "perpetrator")
    #expect(afterWitness.people.last?["role"] == "witness")

    try vault.succeed(["amend", "1", "--remove-person", "Marko"])
    let afterRemoval = try current(1, in: vault)
    #expect(afterRemoval.people.count == 1 && afterRemoval.people[0]["role"] == "witness", "\(afterRemoval)")

    let notThere = try vault.run(["amend", "1", "--remove-person", "Marko"])
    #expect(notThere.exitCode != 0 && notThere.stderr.contains("Marko is not on this entry"), "\(notThere)")

    try vault.succeed(["amend", "1", "--when", "2026-11-28 22:00"])
    let afterWhen = try current(1, in: vault)
    #expect(afterWhen.occurred["start"] as? String == "2026-11-28T21:00:00Z", "\(afterWhen)")
    #expect(afterWhen.occurred["end"] as? String == "2026-11-28T22:15:00Z", "the end is kept: \(afterWhen)")

    let help = try vault.run(["amend", "--help"])
    let words = help.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    #expect(words.contains("--remove-person"), "\(help)")
    #expect(words.contains("--witness only the witnesses"), "\(help)")
    #expect(words.contains("keeps the end the entry has, unless --ended is given too"), "\(help)")
  }
}
