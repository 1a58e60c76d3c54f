# Django models of the app "blog" (fixture for the Django extractor).
from django.db import models


class Timestamped(models.Model):
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True


class Author(Timestamped):
    name = models.CharField(max_length=100, db_index=True)
    email = models.EmailField(unique=True)
    bio = models.TextField(blank=True, default="")
    karma = models.IntegerField(default=0)


class Post(Timestamped):
    author = models.ForeignKey(Author, on_delete=models.CASCADE)
    editor = models.ForeignKey("Author", null=True, on_delete=models.SET_NULL,
                               related_name="edited")
    title = models.CharField(max_length=200)
    slug = models.SlugField()
    price = models.DecimalField(max_digits=8, decimal_places=2, null=True)
    data = models.JSONField(null=True)
    published = models.BooleanField(default=False)

    class Meta:
        db_table = "posts"
        unique_together = [("author", "slug")]
        indexes = [models.Index(fields=["title"], name="post_title_idx")]


class Tag(models.Model):
    code = models.CharField(max_length=20, primary_key=True)
    uid = models.UUIDField()


class Profile(models.Model):
    id = models.AutoField(primary_key=True)
    author = models.OneToOneField(Author, on_delete=models.CASCADE)
    owner = models.ForeignKey("auth.User", on_delete=models.CASCADE)
    tags = models.ManyToManyField(Tag)
    ratio = models.FloatField(db_column="score_ratio")
