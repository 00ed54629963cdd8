from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from nominations.models.nomination import Rating
from nominations.models.org import Person


class AnnualRating(models.Model):
    """A person's yearly quality rating (đánh giá, xếp loại chất lượng hằng năm).

    Made by the agency before the year's emulation review; a collective's title reads its members'
    ratings (e.g. TTLĐXS needs every member to have completed their duties, L22 Art. 27).
    """

    person = models.ForeignKey(
        Person, verbose_name=_("cán bộ"), on_delete=models.CASCADE, related_name="annual_ratings"
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    rating = models.CharField(_("xếp loại"), max_length=8, choices=Rating.choices)

    class Meta:
        verbose_name = _("kết quả xếp loại hằng năm")
        verbose_name_plural = _("kết quả xếp loại hằng năm")
        ordering = ["-year", "person__unit__order", "person__username"]
        constraints = [models.UniqueConstraint(fields=["person", "year"], name="annual_rating_once_a_year")]

    def __str__(self) -> str:
        return f"{self.person} — {self.year}: {self.get_rating_display()}"
