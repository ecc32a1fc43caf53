#!/usr/bin/env bash
# A mapping volunteer's first session: start a city, add and correct entities, validate, export.
#
#   bash examples/first-session.sh [WORKDIR]
#
# Uses `civic` from $CIVIC when set (the tests point it at the built binary), else the release
# binary the README's first command built, else a debug one; only when there is none does it build
# one (saying so: the first build takes minutes).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
work="${1:-$(mktemp -d)}"
if [ -z "${CIVIC:-}" ]; then
    for built in "$here/../.build/release/civic" "$here/../.build/debug/civic"; do
        if [ -x "$built" ]; then CIVIC="$built"; break; fi
    done
fi
if [ -z "${CIVIC:-}" ]; then
    echo "== no built civic found: building it (swift build -c release, a few minutes the first time)" >&2
    swift build --package-path "$here/.." -c release
    CIVIC="$here/../.build/release/civic"
fi
civic() { "$CIVIC" "$@"; }

echo "== a new city from the bundled districts, in $work"
civic init "$work/city" --name "Гражданское пространство Өскемен" --city "Өскемен" \
    --districts "$here/../geodata/oskemen/districts.geojson" --language ru --radius 500
export CIVIC_DATASET="$work/city"

echo "== add a venue, a community and an initiative group (each prints its new id)"
library=$(civic add --kind venue --name "Областная библиотека им. Пушкина" --name-kk "Пушкин атындағы облыстық кітапхана" \
    --lat 49.9541 --lon 82.6268 --theme culture --theme education --address "ул. Казахстан, 60")
council=$(civic add --kind community --name "Совет дома ул. Бажова, 333" --lat 49.9725 --lon 82.6405 \
    --theme courtyards --theme heating --email sovet.bazhova@example.kz --contact-person "Айгүл Серікқызы")
lights=$(civic add --kind "инициативная группа" --name "Свет во дворах Ульбы" --lat 49.9770 --lon 82.6640 \
    --theme освещение --phone "+7 777 123 45 67")
echo "added $library, $council, $lights"

echo "== a refused add: the coordinates are swapped (exit code 1, nothing written)"
if civic add --kind venue --name "Перепутанные координаты" --lat 82.6275 --lon 49.9483 --theme culture; then
    echo "expected a refusal" >&2; exit 1
fi

echo "== correct an entity"
civic edit "$lights" --add-theme snow_removal --description "Фонари и уборка снега во дворах"
civic show "$lights"

echo "== list, validate, export"
civic list --theme lighting
civic validate
civic export entities -o "$work/entities.geojson"
civic export entities -o "$work/entities.csv"
civic log --limit 5
echo "== done: $work/city"
