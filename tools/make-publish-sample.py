#!/usr/bin/env python3
"""Writes samples/reviews.csv: the bundled sample for `alimentar publish`.

Product reviews as a scraper left them: it appended every run to the same file, so each review is there six
times; over a third of the reviews lost their text or their rating ("n/a"); some ratings were written with a decimal
comma; text extracted from PDFs carries form feeds and stray spaces, and some went through a Windows-1252 round trip
(mojibake); labels are spelled several ways; a `source`
column says the same thing on every row. It scores below the publishing guide's 70 % line, so `alimentar publish`
cleans it (the guide's Recipe 3), and it passes the B gate after cleaning.
Deterministic: the same file on every run.
"""
import csv
import random
import sys

WORDS = ("great product works as described fast shipping would buy again poor quality broke after a week "
         "customer service was helpful packaging damaged color not as pictured battery lasts long easy to set up "
         "instructions unclear too small for the price excellent value comfortable fit stopped working returned it "
         "sturdy lightweight noisy smells strange arrived early love it").split()


def text(rng):
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 30))).capitalize() + "."


def main(path):
    rng = random.Random(7)
    rows = []
    for i in range(1, 801):
        value = round(1 + rng.random() * 4, 1)
        label = "positive" if value >= 3.7 else "negative" if value < 2.4 else "neutral"
        rating = str(value)
        body = text(rng)
        r = rng.random()
        if r < 0.24:
            body = ""                              # the text was lost
        elif r < 0.38:
            rating = "n/a"                         # the rating was lost
        elif r < 0.46:
            rating = rating.replace(".", ",")      # decimal comma
        if body and rng.random() < 0.3:
            body = body.replace(" ", "\f ", 1)     # form feed from PDF extraction
        if body and rng.random() < 0.2:
            body = "  " + body + " "               # stray spaces
        if body and rng.random() < 0.12:
            body += " Didn\u00e2\u20ac\u2122t expect that."  # "Didn't": UTF-8 read as Windows-1252 once
        if rng.random() < 0.05:
            label = label.capitalize()
        rows.append([1000 + i, rating, label, body, "scraper-v2"])
    out = [list(r) for _ in range(6) for r in rows]  # six runs appended
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["review_id", "rating", "label", "text", "source"])
        w.writerows(out)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "samples/reviews.csv")
